import { describe, expect, it } from 'vitest';
import { descriptors } from './fixtures.test-support';
import { firstMatch, paletteGroups, rankedMatches } from './palette';

describe('palette', () => {
  it('groups by category in alphabetical order and hides Start when the workflow has one', () => {
    const groups = paletteGroups(descriptors.values(), '', true);

    expect(groups.map(([c]) => c)).toEqual(['Data', 'Flow', 'Fulfillment']);
    expect(groups.find(([c]) => c === 'Flow')![1].map((d) => d.type)).toEqual(['End', 'Fork', 'If', 'Switch']);
  });

  it('searches names, types and categories; Enter picks the name that starts with the search', () => {
    const groups = paletteGroups(descriptors.values(), 'pla', false);

    expect(groups.flatMap(([, l]) => l.map((d) => d.type))).toEqual(['Fulfillment.PlaceSupplierOrders']);
    expect(firstMatch(paletteGroups(descriptors.values(), 'if', true), 'if')?.type).toBe('If');
    expect(firstMatch(paletteGroups(descriptors.values(), 'flow s', true), 'flow s')?.type).toBe('Switch');
  });

  it('ranks names starting with the search before matches in descriptions, across categories', () => {
    const groups = paletteGroups(descriptors.values(), 'set', true);

    expect(rankedMatches(groups, 'set')[0]?.type).toBe('SetVariable');
    expect(rankedMatches(paletteGroups(descriptors.values(), 'e', true), 'e').map((d) => d.type).slice(0, 1)).toEqual(['End']);
  });

  it('finds nothing for an unknown word', () => {
    expect(paletteGroups(descriptors.values(), 'zebra', false)).toEqual([]);
  });
});
