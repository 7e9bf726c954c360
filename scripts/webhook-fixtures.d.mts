// Types for the webhook fixture script, for the test that keeps fixtures/webhooks equal to GitHub's examples.
export declare const WEBHOOK_FIXTURES: Array<[event: string, action: string | null]>;
export declare function pickExample(
  examples: Array<{ name: string; examples: Array<Record<string, any>> }>,
  event: string,
  action: string | null,
): Record<string, any> | undefined;
