/** The provider conformance suite (suite.ts) against the convox provider and its backend (targets/convox.ts). */
import target from './targets/convox.js';
import { describeConformance } from './suite.js';

describeConformance(target);
