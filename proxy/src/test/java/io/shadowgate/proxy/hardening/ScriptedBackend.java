package io.shadowgate.proxy.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket upstream for connection-hygiene tests: unlike {@code TestBackend}, its misbehaviours (malformed or early
 * responses, late responses) keep the connection open, so a test can see whether the gateway closes it or — the
 * bug to rule out — pools it and reuses it. Blocking I/O, one thread per connection. Records which connection each
 * request head arrived on and which connections the gateway closed.
 */
final class ScriptedBackend implements AutoCloseable {

    /** One request head as received. */
    record Head(int index, int connection, String requestLine, String raw) {
        String header(String name) {
            for (String line : raw.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        long contentLength() {
            String cl = header("content-length");
            return cl == null ? 0 : Long.parseLong(cl);
        }
    }

    /** What to do with one request: read what it wants of the body from {@code in}, write to {@code out}. */
    interface Script {
        void handle(Head head, InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    final List<Head> heads = new CopyOnWriteArrayList<>();
    /** Connections whose peer (the gateway) closed them. */
    final Set<Integer> closedByGateway = ConcurrentHashMap.newKeySet();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    ScriptedBackend(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "scripted-backend-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                int id = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s, id), "scripted-backend-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int id) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String raw = readHead(in);
                if (raw == null) {
                    closedByGateway.add(id);
                    return;
                }
                Head head = new Head(requests.incrementAndGet(), id, raw.substring(0, raw.indexOf("\r\n")), raw);
                heads.add(head);
                script.handle(head, in, out);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            closedByGateway.add(id);
        }
    }

    /** The next request head, or {@code null} at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
            if (state == 4) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Reads and discards a Content-Length body. */
    static void readBody(Head head, InputStream in) throws IOException {
        long n = head.contentLength();
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return;
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    /** A 200 response with {@code body}, keep-alive. */
    static byte[] ok(String body) {
        return ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    List<Head> heads() {
        return new ArrayList<>(heads);
    }

    /** The request-line path of head {@code i} (1-based order of arrival). */
    String path(int i) {
        return heads.get(i - 1).requestLine().split(" ")[1].toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
