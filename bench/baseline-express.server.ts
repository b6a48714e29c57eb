import express from 'express';
import helmet from 'helmet';

// Baseline (a), run as a child process: bare Express 5 + helmet that parses a JSON body and
// answers 202. No validation, no database, no queue: the ceiling for an Express JSON endpoint.

const app = express();
app.use(helmet());
app.use(express.json({ limit: '2mb' }));
app.post('/v1/submissions', (req, res) => {
  const id = (req.body as { id?: unknown }).id;
  res.status(202).json({ id, status: 'received' });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
