/**
 * What a child process may see of our environment. git needs PATH, HOME (its config), the
 * locale, proxies and, for ssh transports, the agent; nothing else — in particular none of the
 * platform credentials (CLEVER_TOKEN, RACK_URL with its password, kube tokens) a pipeline hands us.
 */
const KEEP = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TEMP|TMP|LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|SSH_AUTH_SOCK|XDG_CONFIG_HOME|XDG_RUNTIME_DIR|SYSTEMROOT|COMSPEC|PATHEXT|WINDIR)$/;
const PROXIES = /^(https?_proxy|no_proxy|all_proxy|HTTPS?_PROXY|NO_PROXY|ALL_PROXY)$/;
/** git's own settings that change where it looks for config or certificates, not credentials. */
const GIT_KEEP = /^(GIT_SSL_CAINFO|GIT_SSL_CAPATH|GIT_SSL_NO_VERIFY|GIT_SSH_COMMAND|GIT_SSH|GIT_TRACE.*|GIT_CURL_VERBOSE|GIT_CONFIG_NOSYSTEM|GIT_CONFIG_GLOBAL|GIT_CONFIG_SYSTEM|GIT_AUTHOR_NAME|GIT_AUTHOR_EMAIL|GIT_COMMITTER_NAME|GIT_COMMITTER_EMAIL|SSL_CERT_FILE|SSL_CERT_DIR|NODE_EXTRA_CA_CERTS)$/;

export function childEnvFrom(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (KEEP.test(name) || PROXIES.test(name) || GIT_KEEP.test(name)) out[name] = value;
  }
  return out;
}
