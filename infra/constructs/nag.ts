// cdk-nag is CommonJS whose exports Node's ESM loader cannot see by name; import it whole once, here.
import cdkNag from 'cdk-nag';

export const { AwsSolutionsChecks } = cdkNag;
