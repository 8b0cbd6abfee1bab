'use strict';
// A stand-in for 104 HR Max's upload endpoint, built the way HR Max's own server evidently is: Node with
// multer (HR Max documents its 450 as "MulterError"), `upload.single('attachment')`, files stored on disk.
// The contract tests upload through the real HrMaxClient to it, to prove that multer (busboy underneath)
// decodes the part and the file name exactly as the client sends them.
//
//   POST /api/file/attach      multipart: funCode + file part `attachment`; bearer token required.
//                              200 {fileUUID, fileName, fileSize, fileMime, isTmp} (HR Max's upload answer)
//                              450 {code: 450, msg} for a MulterError, 440 for a missing field, 401.
//   GET  /stored/{fileUUID}    what was stored (for the tests): the name multer decoded, funCode, size and
//                              SHA-256 of the bytes read back from disk.
//
// Prints "listening on http://127.0.0.1:PORT" once ready; exits (removing the stored files) when standard
// input closes, so it never outlives the test run that started it.
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const multer = require('multer');

const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrmax-multer-'));
const upload = multer({ dest: storeDir }).single('attachment');
const stored = new Map();

function send(res, status, body) {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': json.length });
  res.end(json);
}

function attach(req, res) {
  if (!/^Bearer \S+$/.test(req.headers.authorization || '')) {
    send(res, 401, { code: 401, msg: 'missing bearer token' });
    return;
  }

  upload(req, res, (err) => {
    if (err instanceof multer.MulterError) {
      send(res, 450, { code: 450, msg: err.message });
      return;
    }
    if (err) {
      send(res, 500, { code: 500, msg: String(err.message) });
      return;
    }
    if (!req.file || !req.body || !req.body.funCode) {
      send(res, 440, { code: 440, msg: req.file ? 'funCode is required' : 'attachment is required' });
      return;
    }

    const bytes = fs.readFileSync(req.file.path);
    stored.set(req.file.filename, {
      originalName: req.file.originalname,
      funCode: req.body.funCode,
      mimeType: req.file.mimetype,
      size: bytes.length,
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    });
    send(res, 200, {
      fileUUID: req.file.filename,
      fileName: req.file.originalname,
      fileSize: req.file.size,
      fileMime: req.file.mimetype,
      isTmp: 1,
    });
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname === '/api/file/attach') {
    attach(req, res);
  } else if (req.method === 'GET' && url.pathname.startsWith('/stored/')) {
    const record = stored.get(url.pathname.slice('/stored/'.length));
    if (record) {
      send(res, 200, record);
    } else {
      send(res, 404, { code: 404, msg: 'not stored' });
    }
  } else {
    req.resume();
    send(res, 404, { code: 404, msg: 'no such endpoint' });
  }
});

function shutDown() {
  server.close();
  fs.rmSync(storeDir, { recursive: true, force: true });
  process.exit(0);
}

process.stdin.on('end', shutDown);
process.stdin.on('error', shutDown);
process.stdin.resume();

server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
