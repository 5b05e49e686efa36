// What the prune action keeps: the branches that exist on origin (`git ls-remote --heads`), the
// open pull requests (GitHub's "List pull requests" endpoint, with the workflow token from the
// environment, never from the command line) and the `keep` input's own entries. Prints one entry
// a line — a branch name, or `#N` for pull request N — for run-cli.sh to pass as --keep.
//
// When a list cannot be had, nothing may be pruned on a guess: the step fails with the CLI's
// one-line message and one `::error` annotation, exit 2 (settings), 3 (token) or 5 (GitHub, git).
// Plain Node 20 (fetch, child_process); no package to install.
import { execFile } from 'node:child_process';

const env = process.env;

class Failure extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const escapeData = (text) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

function flag(name, input) {
  const value = (env[name] ?? '').trim().toLowerCase();
  if (['', 'true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new Failure(2, `invalid settings: ${input}: expected true or false, got "${env[name]}"`);
}

function liveBranches(cwd) {
  return new Promise((resolve, reject) => {
    execFile('git', ['ls-remote', '--heads', 'origin'], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout.split('\n').flatMap((line) => /^[0-9a-f]+\trefs\/heads\/(.+)$/.exec(line)?.[1] ?? []));
        return;
      }
      const why = (stderr.trim().split('\n').pop() || error.message).replace(/\/\/[^/@\s]*@/g, '//***@');
      const notCheckout = /not a git repository|No such remote|does not appear to be a git repository/i.test(stderr);
      reject(
        notCheckout
          ? new Failure(2, `prune: listing the live branches: ${why} (run actions/checkout before this step, or set keep-branches: false)`)
          : new Failure(5, `prune: listing the live branches: git ls-remote --heads origin failed: ${why} (check that the checkout can reach origin)`),
      );
    });
  });
}

/** The next page of a GitHub list, from its `Link` header. */
function nextPage(link) {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

async function openPullRequests() {
  const token = env.PREVIEW_GITHUB_TOKEN || env.GITHUB_TOKEN;
  const repository = env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) throw new Failure(2, 'prune: listing the open pull requests: GITHUB_REPOSITORY is not set (run this action in a GitHub workflow, or set keep-pull-requests: false)');
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const headers = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'preview-kit' };
  if (token) headers.authorization = `Bearer ${token}`;
  const numbers = [];
  let url = `${api}/repos/${repository}/pulls?state=open&per_page=100`;
  for (let page = 0; url; page++) {
    if (page === 1000) throw new Failure(5, 'prune: listing the open pull requests: more than 1000 pages (is the API answering in a loop?)');
    let response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new Failure(5, `prune: listing the open pull requests: ${error.cause?.code ?? error.message} (check GITHUB_API_URL and the network)`);
    }
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.status !== 200) {
      const why = `HTTP ${response.status}${typeof body?.message === 'string' ? ` ${body.message}` : ''}`;
      if ([401, 403, 404].includes(response.status)) {
        throw new Failure(3, `prune: listing the open pull requests: ${why} (give the job permissions: pull-requests: read, or pass another github-token, or set keep-pull-requests: false)`);
      }
      throw new Failure(5, `prune: listing the open pull requests: ${why} (GitHub may be having trouble: run again later)`);
    }
    if (!Array.isArray(body) || body.some((pr) => !Number.isSafeInteger(pr?.number))) {
      throw new Failure(5, 'prune: listing the open pull requests: unexpected answer (not a list of pull requests)');
    }
    numbers.push(...body.map((pr) => pr.number));
    url = nextPage(response.headers.get('link'));
  }
  return numbers;
}

async function main() {
  const entries = new Set();
  const said = [];
  if (flag('PREVIEW_KIT_KEEP_BRANCHES', 'keep-branches')) {
    const branches = await liveBranches(env.PREVIEW_SOURCE || '.');
    for (const branch of branches) entries.add(branch);
    said.push(`${branches.length} live branch${branches.length === 1 ? '' : 'es'}`);
  }
  if (flag('PREVIEW_KIT_KEEP_PULL_REQUESTS', 'keep-pull-requests')) {
    const numbers = await openPullRequests();
    for (const n of numbers) entries.add(`#${n}`);
    const shown = [...numbers].sort((a, b) => a - b).slice(0, 20).map((n) => `#${n}`);
    if (numbers.length > shown.length) shown.push('…');
    said.push(`${numbers.length} open pull request${numbers.length === 1 ? '' : 's'}${shown.length ? ` (${shown.join(', ')})` : ''}`);
  }
  const extra = (env.PREVIEW_KIT_KEEP ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  for (const entry of extra) entries.add(entry);
  if (extra.length) said.push(`${extra.length} entr${extra.length === 1 ? 'y' : 'ies'} of the keep input`);
  if (said.length) process.stderr.write(`prune keeps the previews of ${said.join(', ')}\n`);
  process.stdout.write([...entries].map((e) => `${e}\n`).join(''));
}

main().catch((error) => {
  const code = error instanceof Failure ? error.code : 5;
  const message = error instanceof Failure ? error.message : `prune: unexpected error: ${error?.message ?? error}`;
  process.stderr.write(`preview-kit: ${message}\n`);
  process.stderr.write(`::error title=preview-kit prune failed (exit ${code})::${escapeData(message)}\n`);
  process.exitCode = code;
});
