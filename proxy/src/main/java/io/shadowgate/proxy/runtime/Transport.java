package io.shadowgate.proxy.runtime;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport, in one place so server, upstream and DNS channels always agree (an upstream connection lives
 * on the event loop of the client connection that opened it, which requires the same transport).
 *
 * <p>NIO only: Maven Central, as these machines reach it, lacks the 4.2.20 native epoll jar; see
 * {@code docs/performance.md}.
 */
public enum Transport {
    NIO;

    /** The transport to use. */
    public static Transport best() {
        return NIO;
    }

    /** A new event-loop group of {@code threads} daemon threads named {@code name-N}. */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                NioIoHandler.newFactory());
    }

    /** The server channel class. */
    public Class<? extends ServerChannel> serverChannel() {
        return NioServerSocketChannel.class;
    }

    /** The client channel class. */
    public Class<? extends SocketChannel> clientChannel() {
        return NioSocketChannel.class;
    }

    /** The datagram channel class (DNS). */
    public Class<? extends DatagramChannel> datagramChannel() {
        return NioDatagramChannel.class;
    }
}
