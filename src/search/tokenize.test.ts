import { describe, expect, it } from 'vitest';
import { matchesQuery, normalize, parseQuery, queryTokens, tokenize, MAX_TOKEN_LENGTH } from './tokenize';

/** What a search for `query` finds among `texts`, the way the index answers it. */
const find = (query: string, texts: readonly string[]) => texts.filter((t) => matchesQuery(parseQuery(query), tokenize(t), t));

describe('search tokenizer: English and other spaced scripts', () => {
  it('[SEARCH-1] indexes words in lower case, without punctuation, each once', () => {
    expect(tokenize('Is the Proxy up? The proxy, I mean!')).toEqual(['is', 'the', 'proxy', 'up', 'i', 'mean']);
  });

  it('[SEARCH-2] ignores case and accents on both sides: Éte finds été, CAFE finds café', () => {
    expect(tokenize('Été à Paris, CAFÉ crème')).toEqual(['ete', 'a', 'paris', 'cafe', 'creme']);
    expect(find('Éte', ['été', 'Ete', 'athlete'])).toEqual(['été', 'Ete']);
    expect(find('cafe', ['Le Café', 'cafeteria', 'caf'])).toEqual(['Le Café', 'cafeteria']);
    // Decomposed accents (e + U+0301) are the same word as precomposed ones.
    expect(tokenize('cafe\u0301')).toEqual(['cafe']);
  });

  it('[SEARCH-3] folds letters without a separable accent and full-width forms: straße, Ærø, ＡＢＣ', () => {
    expect(tokenize('Straße nach Ærø, Łódź')).toEqual(['strasse', 'nach', 'aero', 'lodz']);
    expect(tokenize('ＡＢＣ１２３')).toEqual(['abc123']);
    expect(normalize('İstanbul')).toBe('istanbul');
  });

  it('[SEARCH-4] keeps the marks that are letters in other scripts (Thai vowels, Devanagari signs)', () => {
    expect(tokenize('ข้าว')).toEqual(['ข้าว']);
    expect(find('ขาว', ['ข้าว'])).toEqual([]);
    expect(tokenize('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']);
  });

  it('[SEARCH-5] matches every query word by prefix, in any order (AND)', () => {
    const texts = ['Is the proxy server up?', 'Proxies are down', 'The server restarted', 'serve the proxy'];
    expect(find('prox', texts)).toEqual(['Is the proxy server up?', 'Proxies are down', 'serve the proxy']);
    expect(find('serv prox', texts)).toEqual(['Is the proxy server up?', 'serve the proxy']);
    expect(find('server proxy', texts)).toEqual(['Is the proxy server up?']);
    expect(find('proxy zebra', texts)).toEqual([]);
  });

  it('[SEARCH-6] a lone letter or digit matches whole words only; longer terms match prefixes', () => {
    expect(parseQuery('a').terms).toEqual([{ token: 'a', prefix: false }]);
    expect(find('a', ['a cat', 'apple'])).toEqual(['a cat']);
    expect(find('5', ['room 5', 'room 52'])).toEqual(['room 5']);
    expect(find('52', ['room 52', 'room 520', 'room 5'])).toEqual(['room 52', 'room 520']);
  });

  it('[SEARCH-7] numbers, times and versions are words; joined words are also indexed by their parts', () => {
    expect(tokenize('Call me at 3.14pm on 2024-03-03')).toEqual(['call', 'me', 'at', '3.14pm', '14pm', 'on', '2024', '03']);
    expect(tokenize('mail bob@example.com')).toEqual(['mail', 'bob', 'example.com', 'example', 'com']);
    expect(tokenize('my user_name')).toEqual(['my', 'user_name', 'user', 'name']);
    expect(find('com', ['bob@example.com'])).toEqual(['bob@example.com']);
  });

  it('[SEARCH-8] straight and curly apostrophes are one word', () => {
    expect(tokenize('Don’t')).toEqual(["don't", 'don']);
    expect(find("don't", ['I don’t know'])).toEqual(['I don’t know']);
  });

  it('[SEARCH-9] emoji, symbols and punctuation are not indexed; text of only those has no tokens', () => {
    expect(tokenize('👍🎉 !!! — …')).toEqual([]);
    expect(tokenize('ok 👍 C++ #launch')).toEqual(['ok', 'c', 'launch']);
    expect(queryTokens('🎉')).toEqual([]);
    expect(find('🎉', ['🎉 party'])).toEqual([]);
  });

  it('[SEARCH-10] very long words are cut to the same length in the index and the query', () => {
    const long = 'x'.repeat(80);
    expect(tokenize(long)).toEqual(['x'.repeat(MAX_TOKEN_LENGTH)]);
    expect(find(long, [long])).toEqual([long]);
    expect(find('x'.repeat(40), [long])).toEqual([long]);
  });

  it('[SEARCH-11] Cyrillic and Greek words are words; Greek accents are ignored', () => {
    expect(tokenize('Привет, мир')).toEqual(['привет', 'мир']);
    expect(find('καλημερα', ['Καλημέρα!'])).toEqual(['Καλημέρα!']);
  });
});

describe('search tokenizer: Chinese, Japanese and Korean', () => {
  it('[SEARCH-12] cuts a CJK run into overlapping bigrams plus its last character', () => {
    expect(tokenize('离线消息已送达')).toEqual(['离线', '线消', '消息', '息已', '已送', '送达', '达']);
    expect(tokenize('好')).toEqual(['好']);
  });

  it('[SEARCH-13] 消息 finds 离线消息已送达 but not texts with only one of its characters', () => {
    const texts = ['离线消息已送达', '消防车来了', '信息', '今天没有消息'];
    expect(find('消息', texts)).toEqual(['离线消息已送达', '今天没有消息']);
    expect(queryTokens('消息')).toEqual(['消息']);
  });

  it('[SEARCH-14] a single CJK character finds every text containing it, at any position', () => {
    const texts = ['消息', '取消', '消', '信息'];
    expect(parseQuery('消').terms).toEqual([{ token: '消', prefix: true }]);
    expect(find('消', texts)).toEqual(['消息', '取消', '消']);
  });

  it('[SEARCH-15] a CJK query of three or more characters must appear as written, not as scattered bigrams', () => {
    const texts = ['离线消息已送达', '离线了。线消失。消息到了', '消息已送'];
    expect(find('线消息', texts)).toEqual(['离线消息已送达']);
    expect(find('消息已送', texts)).toEqual(['离线消息已送达', '消息已送']);
  });

  it('[SEARCH-16] mixed Chinese and English: each part is searched its own way', () => {
    expect(tokenize('我的iPhone手机坏了')).toEqual(['我的', '的', 'iphone', '手机', '机坏', '坏了', '了']);
    expect(find('iphone 手机', ['我的iPhone手机坏了', 'iPhone is fine', '手机'])).toEqual(['我的iPhone手机坏了']);
    expect(find('IPH', ['我的iPhone手机坏了'])).toEqual(['我的iPhone手机坏了']);
  });

  it('[SEARCH-17] Japanese kana runs are bigrams; voicing marks are kept; half-width kana match full-width', () => {
    expect(tokenize('コーヒーが好き')).toEqual(['コー', 'ーヒ', 'ヒー', 'ーが', 'が好', '好き', 'き']);
    expect(find('コーヒー', ['コーヒーが好き', 'コピー'])).toEqual(['コーヒーが好き']);
    expect(find('が', ['ありがとう', 'ありかとう'])).toEqual(['ありがとう']);
    expect(find('ｶﾞｽ', ['ガス代'])).toEqual(['ガス代']);
  });

  it('[SEARCH-18] Korean words are bigrams of syllables (not of decomposed jamo)', () => {
    expect(tokenize('안녕하세요 세계')).toEqual(['안녕', '녕하', '하세', '세요', '요', '세계', '계']);
    expect(find('하세', ['안녕하세요'])).toEqual(['안녕하세요']);
  });

  it('[SEARCH-19] an empty or blank query has no terms and finds nothing', () => {
    expect(parseQuery('   ').terms).toEqual([]);
    expect(find('', ['anything'])).toEqual([]);
  });
});
