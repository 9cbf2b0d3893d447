"""The partner-webhook adapter (Standard Webhooks): inbound events verified and acted on through
the domain, outbound deliveries signed and sent. An adapter: it calls the domain logic, never
the other way round."""
