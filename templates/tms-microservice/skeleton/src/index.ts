import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? ${{ values.port }});

const server = createServer((request, response) => {
  if (request.url === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ status: 'ok', service: '${{ values.name }}' }),
    );
    return;
  }

  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: 'not found', path: request.url }));
});

server.listen(port, () => {
  console.log(JSON.stringify({ msg: 'listening', port }));
});
