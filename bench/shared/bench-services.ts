/** The service every shared-mode measurement runs, with the policy of the other scenarios. */
export const benchService = 'market-data';

export const benchServices = {
  [benchService]: { failureThreshold: 5, resetTimeout: 30_000 },
};
