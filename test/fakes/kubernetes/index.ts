/**
 * The fake Kubernetes API server and its helpers, for any test file (provider tests, CLI-as-process
 * tests): start it, write a kubeconfig for it, optionally serve HTTPS (kubectl needs TLS to send a token).
 */
export { startFakeKubernetes, type FakeKubernetes, type FakeKubernetesOptions, type RecordedRequest } from './server.js';
export { writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
export { makeCertificates, type TestCertificates } from './tls.js';
export { kubectlRuns } from './kubectl.js';
export { MANAGED_ANSWERS, MANAGED_STANZAS, pluginRuns, writePlugin, type PluginRun } from './exec-plugin.js';
