// Each e2e test drives several real `pulumi` commands; each takes seconds.
jest.setTimeout(600_000);
