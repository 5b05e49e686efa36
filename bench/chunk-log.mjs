// `node --import ./bench/chunk-log.mjs …`: appends the URL of every module the process loads to
// the file CHUNK_LOG names (used by the bench to see which bundle chunks a command loads).
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.CHUNK_LOG && url.startsWith('file:')) appendFileSync(process.env.CHUNK_LOG, url + '\\n');
  return next(url, context);
}`));
