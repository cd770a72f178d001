import { describe, expect, it } from 'vitest';
import { SEARCH_MARK_CLOSE as C, SEARCH_MARK_OPEN as O } from '../../../src-preload/contract/search';
import { snippetParts } from './snippet';

describe('snippetParts', () => {
  it('splits a marked snippet into plain and marked runs', () => {
    expect(snippetParts(`Meet at the ${O}Café${C} ${O}Noir${C}…`)).toEqual([
      { text: 'Meet at the ', mark: false },
      { text: 'Café', mark: true },
      { text: ' ', mark: false },
      { text: 'Noir', mark: true },
      { text: '…', mark: false },
    ]);
  });

  it('keeps HTML as text and survives stray or unbalanced markers', () => {
    expect(snippetParts(`<b>${O}x${C}</b>`)).toEqual([
      { text: '<b>', mark: false },
      { text: 'x', mark: true },
      { text: '</b>', mark: false },
    ]);
    expect(snippetParts(`${O}${C}a${C}b${O}c`)).toEqual([
      { text: 'ab', mark: false },
      { text: 'c', mark: true },
    ]);
    expect(snippetParts('')).toEqual([]);
  });
});
