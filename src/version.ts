// Written by scripts/build.mjs from package.json.
export const VERSION = '0.1.0';
