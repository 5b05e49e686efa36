/** The provider conformance suite (suite.ts, suite-lifecycle.ts) against the docker provider and its backend (targets/docker.ts). */
import target from './targets/docker.js';
import { describeLifecycle } from './suite-lifecycle.js';
import { describeConformance } from './suite.js';

describeConformance(target);
describeLifecycle(target);
