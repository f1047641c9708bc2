// Integration and end-to-end tests wait on real brokers: give each test two minutes.
jest.setTimeout(120_000);
