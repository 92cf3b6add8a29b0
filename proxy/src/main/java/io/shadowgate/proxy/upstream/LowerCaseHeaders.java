package io.shadowgate.proxy.upstream;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.Map;

/**
 * Header maps whose names are lower-cased as the HTTP/1 decoder adds them, so a decoded request or response can be
 * forwarded with its map edited in place and still carry lower-case names, as Envoy sends them (the proxy used to
 * lower-case names while copying every map). Used as the decoders' {@link HttpHeadersFactory} on client and upstream
 * connections; validation is the wrapped factory's.
 */
public final class LowerCaseHeaders extends DefaultHttpHeaders {

    /**
     * Common names as clients and servers capitalise them, to their lower-case constants: no allocation for them.
     * {@link AsciiString#hashCode()} ignores case and {@code equals} does not, so the exact spelling is the key.
     */
    private static final Map<AsciiString, AsciiString> COMMON = new HashMap<>();

    static {
        for (AsciiString n : new AsciiString[] {HttpHeaderNames.HOST, HttpHeaderNames.USER_AGENT,
                HttpHeaderNames.ACCEPT, HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.ACCEPT_LANGUAGE,
                HttpHeaderNames.ACCEPT_RANGES, HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.CACHE_CONTROL,
                HttpHeaderNames.CONNECTION, HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.CONTENT_LENGTH,
                HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.COOKIE, HttpHeaderNames.DATE, HttpHeaderNames.ETAG,
                HttpHeaderNames.EXPECT, HttpHeaderNames.EXPIRES, HttpHeaderNames.KEEP_ALIVE,
                HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.LOCATION, HttpHeaderNames.ORIGIN,
                HttpHeaderNames.PRAGMA, HttpHeaderNames.REFERER, HttpHeaderNames.SERVER, HttpHeaderNames.SET_COOKIE,
                HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.VARY}) {
            COMMON.put(capitalised(n), n);
        }
    }

    private LowerCaseHeaders(DefaultHeaders.NameValidator<CharSequence> names,
                             DefaultHeaders.ValueValidator<CharSequence> values) {
        super(names, values);
    }

    /** A factory like {@code base} (same validation) whose header maps lower-case names added by the decoder. */
    public static HttpHeadersFactory factory(HttpHeadersFactory base) {
        DefaultHttpHeadersFactory d = base instanceof DefaultHttpHeadersFactory f ? f
                : DefaultHttpHeadersFactory.headersFactory();
        DefaultHeaders.NameValidator<CharSequence> names = d.getNameValidator();
        DefaultHeaders.ValueValidator<CharSequence> values = d.getValueValidator();
        return new HttpHeadersFactory() {
            @Override
            public HttpHeaders newHeaders() {
                return new LowerCaseHeaders(names, values);
            }

            @Override
            public HttpHeaders newEmptyHeaders() {
                return new LowerCaseHeaders(names, values);
            }
        };
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        return super.add(lower(name), value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        return super.set(lower(name), value);
    }

    /** {@code name} in lower case; {@code name} itself when it has no upper-case letter. */
    static CharSequence lower(CharSequence name) {
        int n = name.length();
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (name instanceof AsciiString a) {
                    AsciiString known = COMMON.get(a);
                    return known != null ? known : a.toLowerCase();
                }
                return name.toString().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return name;
    }

    private static AsciiString capitalised(AsciiString lower) {
        char[] out = lower.toString().toCharArray();
        boolean start = true;
        for (int i = 0; i < out.length; i++) {
            if (start) {
                out[i] = Character.toUpperCase(out[i]);
            }
            start = out[i] == '-';
        }
        return AsciiString.cached(new String(out));
    }
}
