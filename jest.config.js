/** One project per layer, so that each can be run alone: `jest --selectProjects unit`. */
const tsJest = {
	'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
};

/** @type {import('jest').Config} */
module.exports = {
	projects: [
		{
			displayName: 'unit',
			modulePathIgnorePatterns: ['<rootDir>/dist'],
			testEnvironment: 'node',
			transform: tsJest,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
		{
			displayName: 'emulator',
			modulePathIgnorePatterns: ['<rootDir>/dist'],
			testEnvironment: 'node',
			testMatch: ['<rootDir>/test/emulator/**/*.test.js'],
		},
		{
			displayName: 'integration',
			modulePathIgnorePatterns: ['<rootDir>/dist'],
			testEnvironment: 'node',
			transform: tsJest,
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
		},
		{
			// Faults, fuzzing and the secret scan, through n8n's engine against in-process emulators.
			displayName: 'reliability',
			modulePathIgnorePatterns: ['<rootDir>/dist'],
			testEnvironment: 'node',
			transform: tsJest,
			testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
		},
		{
			// What gets published and how: pack contents, n8n's verification scanner, the lock file, the
			// GitHub workflows, the release script, the documentation links, the n8n installer's progress.
			// Needs `npm run build` first.
			displayName: 'package',
			modulePathIgnorePatterns: ['<rootDir>/dist'],
			testEnvironment: 'node',
			testMatch: ['<rootDir>/test/package/**/*.test.js'],
		},
		{
			// Real n8n processes (installed on first use into a cache outside the tree): slow by nature.
			displayName: 'e2e',
			modulePathIgnorePatterns: ['<rootDir>/dist'],
			testEnvironment: 'node',
			testMatch: ['<rootDir>/test/e2e/**/*.test.js'],
		},
		{
			// Benchmarks: `npm run bench` only, never part of `npm test`; they print, they do not assert.
			displayName: 'bench',
			modulePathIgnorePatterns: ['<rootDir>/dist'],
			testEnvironment: 'node',
			transform: tsJest,
			testMatch: ['<rootDir>/bench/**/*.bench.ts'],
		},
	],
};
