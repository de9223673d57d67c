import pg from 'pg';
import { bearerAuth } from './auth.ts';
import { createNotesServer } from './server.ts';

/** `DATABASE_URL=… JWT_SECRET=… npm start -w @cr/example-notes`: the notes upload server on PORT. */
const { DATABASE_URL, JWT_SECRET, PORT = '8790' } = process.env;
if (!DATABASE_URL || !JWT_SECRET) throw new Error('Set DATABASE_URL and JWT_SECRET.');
const pool = new pg.Pool({ connectionString: DATABASE_URL });
const server = createNotesServer({ pool, authenticate: bearerAuth(JWT_SECRET) });
server.listen(Number(PORT), '127.0.0.1', () => console.log(`notes uploads on http://127.0.0.1:${PORT}/upload`));
