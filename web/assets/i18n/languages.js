// Written by tools/languages.py from layers/shared/python/tremplin/models/languages.py: edit that,
// then run `.venv/bin/python tools/languages.py`. Each language's catalogue is ./<code>.js.
export const LANGUAGES = [
  {"code": "de", "name": "Deutsch", "lang": "de", "locale": "de-CH", "dir": "ltr", "reviewed": true},
  {"code": "de-simple", "name": "Einfaches Deutsch", "lang": "de", "locale": "de-CH", "dir": "ltr", "reviewed": false},
  {"code": "fr", "name": "Français", "lang": "fr", "locale": "fr-CH", "dir": "ltr", "reviewed": true},
  {"code": "it", "name": "Italiano", "lang": "it", "locale": "it-CH", "dir": "ltr", "reviewed": false},
  {"code": "en", "name": "English", "lang": "en", "locale": "en-CH", "dir": "ltr", "reviewed": true},
  {"code": "ar", "name": "العربية", "lang": "ar", "locale": "ar-CH-u-nu-latn", "dir": "rtl", "reviewed": false},
  {"code": "ti", "name": "ትግርኛ", "lang": "ti", "locale": "ti-CH", "dir": "ltr", "reviewed": false},
  {"code": "pt", "name": "Português", "lang": "pt", "locale": "pt-CH", "dir": "ltr", "reviewed": false},
  {"code": "sq", "name": "Shqip", "lang": "sq", "locale": "sq-CH", "dir": "ltr", "reviewed": false},
  {"code": "ta", "name": "தமிழ்", "lang": "ta", "locale": "ta-CH", "dir": "ltr", "reviewed": false},
  {"code": "uk", "name": "Українська", "lang": "uk", "locale": "uk-CH", "dir": "ltr", "reviewed": false},
];
