// Lint rules that keep the architecture honest: type-aware checks, no stray console output,
// and the import directions of the design guide (the TS form of Kubernetes' .import-restrictions).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Builds a no-restricted-imports rule that forbids importing the given folders. */
function forbid(...patterns) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: patterns.map((group) => ({
          group: [group],
          message: 'This import crosses an architectural boundary (see README: Architecture).',
        })),
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'charts/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // Leaves: npm packages only.
  {
    files: ['src/k8s/**/*.ts', 'src/observability/**/*.ts'],
    rules: forbid(
      '**/adapter/**',
      '**/scraper/**',
      '**/store/**',
      '**/hpa/**',
      '**/runtime/**',
      '**/cluster/**',
      '**/config/**',
      '**/cli/**',
      '**/test/**',
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: forbid(
      '**/adapter/**',
      '**/scraper/**',
      '**/observability/**',
      '**/hpa/**',
      '**/runtime/**',
      '**/cluster/**',
      '**/config/**',
      '**/cli/**',
      '**/test/**',
    ),
  },
  {
    files: ['src/hpa/**/*.ts'],
    rules: forbid(
      '**/adapter/**',
      '**/scraper/**',
      '**/observability/**',
      '**/store/**',
      '**/runtime/**',
      '**/cluster/**',
      '**/config/**',
      '**/cli/**',
      '**/test/**',
      'node:*',
      'axios',
      'express',
    ),
  },
  {
    files: ['src/runtime/**/*.ts'],
    rules: forbid('**/adapter/**', '**/scraper/**', '**/config/**', '**/cli/**', '**/test/**'),
  },
  {
    files: ['src/config/**/*.ts', 'src/cluster/**/*.ts'],
    rules: forbid(
      '**/adapter/**',
      '**/scraper/**',
      '**/store/**',
      '**/hpa/**',
      '**/runtime/**',
      '**/cli/**',
      '**/test/**',
    ),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: forbid('**/adapter/**', '**/scraper/**', '**/store/**', '**/runtime/**', '**/test/**'),
  },
  {
    files: ['scraper/**/*.ts'],
    rules: forbid('**/adapter/**', '**/hpa/**', '**/runtime/**', '**/cli/**', '**/test/**'),
  },
  { files: ['adapter/**/*.ts'], rules: forbid('**/scraper/**', '**/cli/**', '**/test/**') },
  // The logger is the one place that writes to the console streams.
  {
    files: ['src/observability/logger.ts', 'src/cli/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
