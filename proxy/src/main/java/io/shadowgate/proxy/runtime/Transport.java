package io.shadowgate.proxy.runtime;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport, in one place so server, upstream and DNS channels always agree (an upstream connection lives
 * on the event loop of the client connection that opened it, which requires the same transport).
 *
 * <p>{@link #best()} picks native epoll when Netty's native library loads (Linux x86_64 with the
 * {@code netty-transport-native-epoll} jar on the class path), NIO otherwise, and logs its choice once with the cause
 * when epoll is unavailable. {@link #prefer(String)} (the CLI's {@code --transport nio|epoll|auto}) overrides the
 * choice for the process; {@code epoll} when epoll cannot load is an error, not a silent fallback.
 */
public enum Transport {
    /** Java NIO ({@code Selector}); works everywhere. */
    NIO,
    /** Netty's native epoll transport (Linux); fewer JDK layers per syscall, edge-triggered. */
    EPOLL;

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    /** What {@link #best()} returns; {@code null} until the first call or {@link #prefer(String)}. */
    private static final AtomicReference<Transport> chosen = new AtomicReference<>();

    /**
     * The transport every proxy of this process uses: the one set by {@link #prefer(String)}, else epoll when
     * available, else NIO. Logged once.
     */
    public static Transport best() {
        Transport t = chosen.get();
        if (t == null) {
            t = auto();
            if (chosen.compareAndSet(null, t)) {
                logChoice(t, "auto");
            } else {
                t = chosen.get();
            }
        }
        return t;
    }

    /**
     * Sets the transport of this process from {@code nio}, {@code epoll} or {@code auto} (case-insensitive) and
     * returns it; call before the proxy starts.
     *
     * @throws IllegalArgumentException for another value, or for {@code epoll} when epoll is unavailable (the message
     *                                  gives Netty's cause)
     */
    public static Transport prefer(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        Transport t = switch (n) {
            case "auto" -> auto();
            case "nio" -> NIO;
            case "epoll" -> {
                if (!epollAvailable()) {
                    throw new IllegalArgumentException("--transport epoll: native epoll is unavailable: "
                            + epollUnavailableCause());
                }
                yield EPOLL;
            }
            default -> throw new IllegalArgumentException("unknown transport '" + name + "' (nio, epoll or auto)");
        };
        chosen.set(t);
        logChoice(t, n);
        return t;
    }

    private static Transport auto() {
        return epollAvailable() ? EPOLL : NIO;
    }

    /** Whether Netty's native epoll library loaded. */
    public static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    private static String epollUnavailableCause() {
        try {
            Throwable cause = Epoll.unavailabilityCause();
            if (cause == null) {
                return "unknown";
            }
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root == cause ? String.valueOf(cause) : cause + " (" + root + ")";
        } catch (LinkageError e) {
            return String.valueOf(e);
        }
    }

    private static void logChoice(Transport t, String asked) {
        if (t == EPOLL) {
            log.info("transport: epoll (native, --transport {})", asked);
        } else if ("nio".equals(asked)) {
            log.info("transport: nio (--transport nio)");
        } else {
            // One quiet line: NIO works everywhere, and the loader's UnsatisfiedLinkError is no news to a user (it
            // is at debug level, and in the message of --transport epoll).
            log.info("transport: nio (native epoll is not available here)");
            log.debug("native epoll unavailable: {}", epollUnavailableCause());
        }
    }

    /** A new event-loop group of {@code threads} daemon threads named {@code name-N}. */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), ioHandlerFactory());
    }

    private IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** The server channel class. */
    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client channel class. */
    public Class<? extends SocketChannel> clientChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The datagram channel class (DNS). */
    public Class<? extends DatagramChannel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
