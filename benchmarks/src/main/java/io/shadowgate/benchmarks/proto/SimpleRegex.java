package io.shadowgate.benchmarks.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * <b>Prototype</b> of a proposed change to {@code config/match} (see {@code docs/performance.md}, "routing"): a
 * linear-time, allocation-free full matcher for the small regexes route tables are made of, tried before RE2/J.
 *
 * <p>Supported RE2 syntax: literals, {@code .}, escapes ({@code \d \w \s \D \W \S}, escaped punctuation), classes
 * {@code [...]} (ranges, negation, those escapes), groups {@code (...)} and {@code (?:...)}, alternation {@code |},
 * quantifiers {@code ? * +} and {@code {m} {m,} {m,n}} (n ≤ 16), {@code ^} at the very start and {@code $} at the
 * very end (no-ops for a full match) — as long as the automaton has at most 63 states. {@link #compile} returns
 * {@code null} for anything else (flags, non-greedy quantifiers, Unicode classes, assertions), and the caller keeps
 * RE2/J. Inputs with a character ≥ 128 answer {@link #UNKNOWN} so the caller asks RE2/J, which keeps RE2's Unicode
 * semantics exactly.
 *
 * <p>The regex becomes a Thompson automaton laid out so that every character state continues at the next index; a
 * 64-bit mask holds the live states, so a step is a table lookup, a shift and an epsilon closure over the few
 * junction states. Time is linear in the input, as with RE2; a full match of a 20-character path costs tens of
 * nanoseconds instead of RE2/J's microsecond. A full match without captures only depends on the language, so the
 * answer is RE2's.
 */
public final class SimpleRegex {

    /** {@link #match} could not decide (non-ASCII input): use RE2/J. */
    public static final int UNKNOWN = -1;
    private static final int MAX_STATES = 63;
    private static final int MAX_COUNT = 16;

    private final long[] ascii = new long[128];
    private final long[] eps;
    private final long junctions;
    private final long start;
    private final long accept;
    private final String source;

    // ------------------------------------------------------------------------------------------------ syntax tree

    private sealed interface Node permits Chars, Seq, Alt, Rep {
    }

    private record Chars(boolean[] set) implements Node {
    }

    private record Seq(List<Node> items) implements Node {
    }

    private record Alt(List<Node> options) implements Node {
    }

    /** {@code min..max} repetitions, {@code max == -1} for unbounded. */
    private record Rep(Node body, int min, int max) implements Node {
    }

    /** Thrown inside the parser for anything outside the subset. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final class Parser {
        final String re;
        int i;

        Parser(String re) {
            this.re = re;
        }

        Node alt() throws Unsupported {
            List<Node> options = new ArrayList<>();
            options.add(seq());
            while (i < re.length() && re.charAt(i) == '|') {
                i++;
                options.add(seq());
            }
            return options.size() == 1 ? options.get(0) : new Alt(options);
        }

        Node seq() throws Unsupported {
            List<Node> items = new ArrayList<>();
            while (i < re.length() && re.charAt(i) != '|' && re.charAt(i) != ')') {
                Node atom = atom();
                items.add(quantified(atom));
            }
            return new Seq(items);
        }

        Node atom() throws Unsupported {
            char c = re.charAt(i);
            switch (c) {
                case '(' -> {
                    i++;
                    if (re.startsWith("?:", i)) {
                        i += 2;
                    } else if (i < re.length() && re.charAt(i) == '?') {
                        throw new Unsupported(); // flags, named groups
                    }
                    Node inner = alt();
                    if (i >= re.length() || re.charAt(i) != ')') {
                        throw new Unsupported();
                    }
                    i++;
                    return inner;
                }
                case '[' -> {
                    i++;
                    return new Chars(charClass());
                }
                case '\\' -> {
                    if (i + 1 >= re.length()) {
                        throw new Unsupported();
                    }
                    char e = re.charAt(i + 1);
                    i += 2;
                    return new Chars(escape(e));
                }
                case '.' -> {
                    i++;
                    boolean[] all = new boolean[128];
                    for (int ch = 0; ch < 128; ch++) {
                        all[ch] = ch != '\n';
                    }
                    return new Chars(all);
                }
                case '^' -> {
                    if (i != 0) {
                        throw new Unsupported();
                    }
                    i++;
                    return new Seq(List.of());
                }
                case '$' -> {
                    if (i != re.length() - 1) {
                        throw new Unsupported();
                    }
                    i++;
                    return new Seq(List.of());
                }
                default -> {
                    if ("?*+{}]".indexOf(c) >= 0 || c >= 128) {
                        throw new Unsupported();
                    }
                    i++;
                    boolean[] one = new boolean[128];
                    one[c] = true;
                    return new Chars(one);
                }
            }
        }

        Node quantified(Node atom) throws Unsupported {
            if (i >= re.length()) {
                return atom;
            }
            char q = re.charAt(i);
            Node out;
            if (q == '?' || q == '*' || q == '+') {
                i++;
                out = new Rep(atom, q == '+' ? 1 : 0, q == '?' ? 1 : -1);
            } else if (q == '{') {
                int close = re.indexOf('}', i);
                if (close < 0) {
                    throw new Unsupported();
                }
                String body = re.substring(i + 1, close);
                int min;
                int max;
                try {
                    int comma = body.indexOf(',');
                    if (comma < 0) {
                        min = max = Integer.parseInt(body);
                    } else {
                        min = Integer.parseInt(body.substring(0, comma));
                        max = comma == body.length() - 1 ? -1 : Integer.parseInt(body.substring(comma + 1));
                    }
                } catch (NumberFormatException e) {
                    throw new Unsupported();
                }
                if (min < 0 || min > MAX_COUNT || max > MAX_COUNT || (max != -1 && max < min)) {
                    throw new Unsupported();
                }
                i = close + 1;
                out = new Rep(atom, min, max);
            } else {
                return atom;
            }
            if (i < re.length() && "?*+{".indexOf(re.charAt(i)) >= 0) {
                throw new Unsupported(); // non-greedy or stacked quantifiers
            }
            return out;
        }

        boolean[] charClass() throws Unsupported {
            boolean[] cls = new boolean[128];
            boolean negate = false;
            if (i < re.length() && re.charAt(i) == '^') {
                negate = true;
                i++;
            }
            boolean first = true;
            while (i < re.length()) {
                char c = re.charAt(i);
                if (c == ']' && !first) {
                    i++;
                    if (negate) {
                        negate(cls);
                    }
                    return cls;
                }
                first = false;
                if (c == '[' || c >= 128) {
                    throw new Unsupported(); // [:alpha:], non-ASCII members
                }
                char lo;
                if (c == '\\') {
                    if (i + 1 >= re.length()) {
                        throw new Unsupported();
                    }
                    char e = re.charAt(i + 1);
                    i += 2;
                    if (Character.isLetter(e)) {
                        boolean[] sub = escape(e);
                        for (int ch = 0; ch < 128; ch++) {
                            cls[ch] |= sub[ch];
                        }
                        continue;
                    }
                    lo = escape(e) != null ? e : 0;
                } else {
                    lo = c;
                    i++;
                }
                if (i + 1 < re.length() && re.charAt(i) == '-' && re.charAt(i + 1) != ']') {
                    char hi = re.charAt(i + 1);
                    if (hi == '\\' || hi >= 128 || hi < lo) {
                        throw new Unsupported();
                    }
                    range(cls, lo, hi);
                    i += 2;
                } else {
                    cls[lo] = true;
                }
            }
            throw new Unsupported();
        }
    }

    private static boolean[] escape(char e) throws Unsupported {
        boolean[] cls = new boolean[128];
        switch (e) {
            case 'd' -> range(cls, '0', '9');
            case 'D' -> {
                range(cls, '0', '9');
                negate(cls);
            }
            case 'w' -> word(cls);
            case 'W' -> {
                word(cls);
                negate(cls);
            }
            case 's' -> space(cls);
            case 'S' -> {
                space(cls);
                negate(cls);
            }
            default -> {
                // RE2 lets any punctuation be escaped; other letters and digits are classes, assertions or errors.
                if (e >= 128 || Character.isLetterOrDigit(e)) {
                    throw new Unsupported();
                }
                cls[e] = true;
            }
        }
        return cls;
    }

    private static void range(boolean[] cls, char lo, char hi) {
        for (int ch = lo; ch <= hi && ch < 128; ch++) {
            cls[ch] = true;
        }
    }

    private static void word(boolean[] cls) {
        range(cls, '0', '9');
        range(cls, 'a', 'z');
        range(cls, 'A', 'Z');
        cls['_'] = true;
    }

    private static void space(boolean[] cls) {
        cls['\t'] = true;
        cls['\n'] = true;
        cls['\f'] = true;
        cls['\r'] = true;
        cls[' '] = true;
    }

    private static void negate(boolean[] cls) {
        for (int ch = 0; ch < 128; ch++) {
            cls[ch] = !cls[ch];
        }
    }

    // ------------------------------------------------------------------------------------------------ automaton

    /** Lays states out so that a character state always continues at the next index; junctions carry epsilons. */
    private static final class Builder {
        final List<boolean[]> classes = new ArrayList<>(); // null for a junction
        final List<Long> eps = new ArrayList<>();

        int add(boolean[] cls) throws Unsupported {
            if (classes.size() >= MAX_STATES) {
                throw new Unsupported();
            }
            classes.add(cls);
            eps.add(0L);
            return classes.size() - 1;
        }

        void epsilon(int from, int to) {
            eps.set(from, eps.get(from) | (1L << to));
        }

        int next() {
            return classes.size();
        }

        /** Emits {@code n}; its entry is the index it starts at, its exit the index right after it. */
        void emit(Node n) throws Unsupported {
            if (n instanceof Chars c) {
                add(c.set());
            } else if (n instanceof Seq s) {
                for (Node item : s.items()) {
                    emit(item);
                }
            } else if (n instanceof Alt a) {
                int l = add(null);
                List<Integer> ends = new ArrayList<>();
                for (Node option : a.options()) {
                    epsilon(l, next());
                    emit(option);
                    ends.add(add(null));
                }
                for (int e : ends) {
                    epsilon(e, next());
                }
            } else if (n instanceof Rep r) {
                for (int k = 0; k < r.min(); k++) {
                    emit(r.body());
                }
                int copies = r.max() == -1 ? 1 : r.max() - r.min();
                for (int k = 0; k < copies; k++) {
                    // [L] body [J]: L -> body | exit; J -> exit, and back to body when unbounded.
                    int l = add(null);
                    int bodyStart = next();
                    emit(r.body());
                    int j = add(null);
                    epsilon(l, bodyStart);
                    epsilon(l, next());
                    epsilon(j, next());
                    if (r.max() == -1) {
                        epsilon(j, bodyStart);
                    }
                }
            }
        }
    }

    private SimpleRegex(String source, Builder b) {
        this.source = source;
        int n = b.classes.size();
        this.eps = new long[n + 1];
        long junc = 0;
        for (int s = 0; s < n; s++) {
            boolean[] c = b.classes.get(s);
            if (c == null) {
                junc |= 1L << s;
                eps[s] = b.eps.get(s);
            } else {
                for (int ch = 0; ch < 128; ch++) {
                    if (c[ch]) {
                        ascii[ch] |= 1L << s;
                    }
                }
            }
        }
        this.junctions = junc;
        this.accept = 1L << n;
        this.start = closure(1L);
    }

    /** The matcher for {@code regex}, or {@code null} when it uses anything outside the supported subset. */
    public static SimpleRegex compile(String regex) {
        try {
            Parser p = new Parser(regex);
            Node tree = p.alt();
            if (p.i != regex.length()) {
                return null; // an unbalanced ')'
            }
            Builder b = new Builder();
            b.emit(tree);
            return new SimpleRegex(regex, b);
        } catch (Unsupported e) {
            return null;
        }
    }

    private long closure(long s) {
        long todo = s & junctions;
        long done = 0;
        while (todo != 0) {
            int j = Long.numberOfTrailingZeros(todo);
            todo &= todo - 1;
            done |= 1L << j;
            long e = eps[j];
            s |= e;
            todo |= e & junctions & ~done;
        }
        return s;
    }

    /**
     * Whether all of {@code input[from, to)} matches: 1 yes, 0 no, {@link #UNKNOWN} when the input has a character
     * outside ASCII.
     */
    public int match(CharSequence input, int from, int to) {
        long state = start;
        for (int i = from; i < to; i++) {
            char c = input.charAt(i);
            if (c >= 128) {
                return UNKNOWN;
            }
            long m = state & ascii[c];
            if (m == 0) {
                return 0;
            }
            state = closure(m << 1);
        }
        return (state & accept) != 0 ? 1 : 0;
    }

    /** Whole-string match, {@link #UNKNOWN} for non-ASCII input. */
    public int match(CharSequence input) {
        return match(input, 0, input.length());
    }

    @Override
    public String toString() {
        return source;
    }
}
