/**
 * The ceiling of the HTTP benchmark: a bare express 5 app whose one handler answers a constant,
 * run by plain node like the server under test. Listens on 127.0.0.1:$PORT and prints "ready".
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.use((_req, res) => {
  res.type('text/plain').send('ok');
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
