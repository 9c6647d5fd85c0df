// Times the peers' whole pipelines on the same articles as whosaid:
// compromise (tokenize, tag, people/places/organizations, quotations) and
// wink-nlp with wink-eng-lite-web-model (tokens, sentences, entities).
// Usage: node peers.js CORPUS.jsonl MAX_MB
// Prints one line per peer: name, MB, CPU seconds, MB/s per core.
'use strict';
const fs = require('fs');
const readline = require('readline');

async function loadTexts(path, maxBytes) {
  const texts = [];
  let bytes = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const t = JSON.parse(line).text;
    if (typeof t !== 'string') continue;
    texts.push(t);
    bytes += Buffer.byteLength(t, 'utf8');
    if (bytes >= maxBytes) break;
  }
  rl.close();
  return { texts, bytes };
}

function time(name, texts, bytes, fn) {
  fn(texts[0]); // load lazily built tables before the clock starts
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  let n = 0;
  for (const t of texts) n += fn(t);
  const wall = Number(process.hrtime.bigint() - w0) / 1e9;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const mb = bytes / 1e6;
  console.log([name, mb.toFixed(2), wall.toFixed(2), cpu.toFixed(2), (mb / cpu).toFixed(3), n].join('\t'));
}

async function main() {
  const [path, maxMb] = process.argv.slice(2);
  const { texts, bytes } = await loadTexts(path, Number(maxMb || 2) * 1e6);
  console.log(['peer', 'MB', 'wall_s', 'cpu_s', 'MB/s/core', 'items'].join('\t'));

  const nlp = require('compromise');
  time('compromise', texts, bytes, (t) => {
    const doc = nlp(t);
    const q = typeof doc.quotations === 'function' ? doc.quotations().out('array').length : 0;
    return doc.people().out('array').length + doc.places().out('array').length +
      doc.organizations().out('array').length + q;
  });

  const winkNLP = require('wink-nlp');
  const model = require('wink-eng-lite-web-model');
  const wnlp = winkNLP(model);
  const its = wnlp.its;
  time('wink-nlp', texts, bytes, (t) => {
    const doc = wnlp.readDoc(t);
    return doc.entities().out(its.detail).length + doc.sentences().out().length +
      doc.tokens().out(its.type).length;
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
