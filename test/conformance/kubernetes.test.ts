/** The provider conformance suite (suite.ts, suite-lifecycle.ts) against the kubernetes provider and its backend (targets/kubernetes.ts). */
import target from './targets/kubernetes.js';
import { describeLifecycle } from './suite-lifecycle.js';
import { describeConformance } from './suite.js';

describeConformance(target);
describeLifecycle(target);
