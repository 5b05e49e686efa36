export { FlagValues } from './settings-schema.js';
