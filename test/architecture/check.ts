// `npm run boundaries`: the boundary check of `npm test`, as a report grouped by rule.
import { checkBoundaries, describeViolations } from './boundaries.js';

const violations = await checkBoundaries();
if (violations.length === 0) {
  console.log('boundaries: no violation');
} else {
  console.log(describeViolations(violations));
  console.log(`boundaries: ${violations.length} violation(s)`);
  process.exitCode = 1;
}
