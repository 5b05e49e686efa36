/** The provider conformance suite (suite.ts, suite-lifecycle.ts) against the convox provider and its backend (targets/convox.ts). */
import target from './targets/convox.js';
import { describeLifecycle } from './suite-lifecycle.js';
import { describeConformance } from './suite.js';

describeConformance(target);
describeLifecycle(target);
