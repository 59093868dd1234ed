// Lint: typescript-eslint's recommended rules without type information (fast: no program build;
// `tsc --noEmit` already checks types), plus a few core rules that catch real mistakes.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'test/data/**',
      'test/workspace/**',
      'test-results/**',
      'bench/results/**',
      'media/**',
      'examples/**',
      '**/*.d.ts',
    ],
  },
  {
    files: [
      '{extension,language-server,webview,protocol,test,bench}/**/*.{ts,mts,cts,js,mjs,cjs}',
      '*.{mjs,js,cjs}',
    ],
    extends: [tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'no-debugger': 'error',
      'no-unreachable': 'error',
      'no-unsafe-finally': 'error',
      'no-constant-binary-expression': 'error',
      'no-self-compare': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'prefer-const': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Plain-Node scripts (launchers, runners, build) use CommonJS-era APIs legitimately.
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Classic browser scripts (test harness pages) share state through function scope by design.
    files: ['**/*.js'],
    rules: { 'no-var': 'off' },
  },
);
