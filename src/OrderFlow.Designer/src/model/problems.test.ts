import { describe, expect, it } from 'vitest';
import { countErrors, errorsUnder } from './problems';

const errors = {
  'rules[0].name': ['Give the rule a name.'],
  'rules[1].filter.countries': ['Use two-letter codes.'],
  'rules[1]': ['A rule cannot be null.'],
  'rules[10].fallback': ['Use one of: next_rule, hold, cancel.'],
  Url: ['Not https.'],
  empty: [],
};

describe('errorsUnder', () => {
  it('keeps one rule’s errors keyed by the rest of their path, without its neighbours with a longer index', () => {
    expect([...errorsUnder(errors, 'rules[1]')]).toEqual([['filter.countries', ['Use two-letter codes.']], ['', ['A rule cannot be null.']]]);
    expect([...errorsUnder(errors, 'rules[10]').keys()]).toEqual(['fallback']);
  });

  it('lower-cases the first letter of top-level names and drops empty message lists', () => {
    const top = errorsUnder(errors);
    expect(top.get('url')).toEqual(['Not https.']);
    expect(top.has('empty')).toBe(false);
    expect(countErrors(errors)).toBe(5);
  });
});
