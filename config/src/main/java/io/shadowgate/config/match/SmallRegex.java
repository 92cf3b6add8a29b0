package io.shadowgate.config.match;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear-time, allocation-free full matcher for the small regexes route tables are made of, tried before RE2/J
 * (whose full match costs a microsecond or two on a short path, against tens of nanoseconds here).
 *
 * <p>Supported RE2 syntax: literals, {@code .}, escapes ({@code \d \w \s \D \W \S}, escaped punctuation), classes
 * {@code [...]} (ranges, negation, those escapes), groups {@code (...)} and {@code (?:...)}, alternation {@code |},
 * greedy quantifiers {@code ? * +} and <code>{m} {m,} {m,n}</code> (at most {@value #MAX_COUNT}), {@code ^} at the
 * very start and {@code $} at the very end (no-ops for a full match), as long as the automaton has at most
 * {@value #MAX_STATES} states. {@link #compile} returns {@code null} for anything else (flags, non-greedy
 * quantifiers, Unicode classes, assertions, non-ASCII literals) and the caller keeps RE2/J. An input with a character
 * outside ASCII answers {@link #UNKNOWN}, so RE2/J decides with RE2's Unicode semantics.
 *
 * <p>Only called for patterns RE2/J accepted: syntax RE2 rejects need not be rejected here.
 *
 * <p>The regex becomes a Thompson automaton laid out so that every character state continues at the next index; one
 * {@code long} holds the live states, so a step is a table lookup, a shift and an epsilon closure over the few
 * junction states (Glushkov/Thompson simulation, bit-parallel). Time is linear in the input, as with RE2. A full
 * match without captures only depends on the regular language, so the answer is RE2's: the tests compare both on
 * random patterns and inputs.
 *
 * <p>Immutable and thread-safe.
 */
final class SmallRegex {

    /** {@link #match} could not decide (non-ASCII input): ask RE2/J. */
    static final int UNKNOWN = -1;
    private static final int MAX_STATES = 63;
    private static final int MAX_COUNT = 16;

    /** For each ASCII character, the character states that accept it. */
    private final long[] accepting = new long[128];
    /** For each junction state, the states it reaches without input. */
    private final long[] epsilon;
    private final long junctions;
    private final long start;
    private final long accept;

    private SmallRegex(Automaton a) {
        int n = a.classes.size();
        this.epsilon = new long[n + 1];
        long junc = 0;
        for (int s = 0; s < n; s++) {
            boolean[] cls = a.classes.get(s);
            if (cls == null) {
                junc |= 1L << s;
                epsilon[s] = a.epsilon.get(s);
            } else {
                for (int ch = 0; ch < 128; ch++) {
                    if (cls[ch]) {
                        accepting[ch] |= 1L << s;
                    }
                }
            }
        }
        this.junctions = junc;
        this.accept = 1L << n;
        this.start = closure(1L);
    }

    /** The matcher for {@code regex}, or {@code null} when it uses anything outside the supported subset. */
    static SmallRegex compile(String regex) {
        try {
            Parser p = new Parser(regex);
            Node tree = p.alternation();
            if (p.i != regex.length()) {
                return null; // an unbalanced ')'
            }
            Automaton a = new Automaton();
            a.emit(tree);
            return new SmallRegex(a);
        } catch (Unsupported e) {
            return null;
        }
    }

    /**
     * Whether all of {@code input[from, to)} matches: 1 yes, 0 no, {@link #UNKNOWN} when that range holds a character
     * outside ASCII.
     */
    int match(CharSequence input, int from, int to) {
        long state = start;
        for (int i = from; i < to; i++) {
            char c = input.charAt(i);
            if (c >= 128) {
                return UNKNOWN;
            }
            long moved = state & accepting[c];
            if (moved == 0) {
                return 0; // no live state: no continuation matches, whatever characters follow
            }
            state = closure(moved << 1);
        }
        return (state & accept) != 0 ? 1 : 0;
    }

    private long closure(long states) {
        long todo = states & junctions;
        long done = 0;
        long s = states;
        while (todo != 0) {
            int j = Long.numberOfTrailingZeros(todo);
            todo &= todo - 1;
            done |= 1L << j;
            long e = epsilon[j];
            s |= e;
            todo |= e & junctions & ~done;
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------ syntax tree

    private sealed interface Node permits Chars, Sequence, Alternation, Repeat {
    }

    /** One character out of a set of ASCII characters. */
    private record Chars(boolean[] set) implements Node {
    }

    private record Sequence(List<Node> items) implements Node {
    }

    private record Alternation(List<Node> options) implements Node {
    }

    /** {@code min..max} repetitions, {@code max == -1} for unbounded. */
    private record Repeat(Node body, int min, int max) implements Node {
    }

    /** Anything outside the subset; thrown inside the parser and the automaton builder. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** Recursive descent over the subset. */
    private static final class Parser {
        final String re;
        int i;

        Parser(String re) {
            this.re = re;
        }

        Node alternation() throws Unsupported {
            List<Node> options = new ArrayList<>();
            options.add(sequence());
            while (i < re.length() && re.charAt(i) == '|') {
                i++;
                options.add(sequence());
            }
            return options.size() == 1 ? options.get(0) : new Alternation(options);
        }

        Node sequence() throws Unsupported {
            List<Node> items = new ArrayList<>();
            while (i < re.length() && re.charAt(i) != '|' && re.charAt(i) != ')') {
                items.add(quantified(atom()));
            }
            return new Sequence(items);
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
                    Node inner = alternation();
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
                    return new Sequence(List.of());
                }
                case '$' -> {
                    if (i != re.length() - 1) {
                        throw new Unsupported();
                    }
                    i++;
                    return new Sequence(List.of());
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
                out = new Repeat(atom, q == '+' ? 1 : 0, q == '?' ? 1 : -1);
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
                        min = Integer.parseInt(body);
                        max = min;
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
                out = new Repeat(atom, min, max);
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
                    boolean[] sub = escape(e);
                    if (Character.isLetter(e)) {
                        for (int ch = 0; ch < 128; ch++) {
                            cls[ch] |= sub[ch];
                        }
                        continue;
                    }
                    lo = e;
                } else {
                    lo = c;
                    i++;
                }
                if (i + 1 < re.length() && re.charAt(i) == '-' && re.charAt(i + 1) != ']') {
                    char hi = re.charAt(i + 1);
                    if (hi == '\\' || hi == '[' || hi >= 128 || hi < lo) {
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

    /** The class of an escape: {@code \d \w \s}, their negations, or escaped ASCII punctuation. */
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
                // RE2 reads any escaped ASCII punctuation as itself; letters and digits are classes, assertions,
                // octal or errors.
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

    /** RE2's {@code \s}: {@code [\t\n\f\r ]}. */
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

    /**
     * States in layout order: a character state ({@code classes[s] != null}) continues at {@code s + 1}; a junction
     * ({@code null}) has epsilon edges. The state after the last one accepts.
     */
    private static final class Automaton {
        final List<boolean[]> classes = new ArrayList<>();
        final List<Long> epsilon = new ArrayList<>();

        int add(boolean[] cls) throws Unsupported {
            if (classes.size() >= MAX_STATES) {
                throw new Unsupported();
            }
            classes.add(cls);
            epsilon.add(0L);
            return classes.size() - 1;
        }

        void edge(int from, int to) {
            epsilon.set(from, epsilon.get(from) | (1L << to));
        }

        int next() {
            return classes.size();
        }

        /** Emits {@code n}: it is entered at the index it starts at and left at the index right after it. */
        void emit(Node n) throws Unsupported {
            if (n instanceof Chars c) {
                add(c.set());
            } else if (n instanceof Sequence s) {
                for (Node item : s.items()) {
                    emit(item);
                }
            } else if (n instanceof Alternation a) {
                int split = add(null);
                List<Integer> ends = new ArrayList<>();
                for (Node option : a.options()) {
                    edge(split, next());
                    emit(option);
                    ends.add(add(null));
                }
                for (int e : ends) {
                    edge(e, next());
                }
            } else if (n instanceof Repeat r) {
                for (int k = 0; k < r.min(); k++) {
                    emit(r.body());
                }
                int optional = r.max() == -1 ? 1 : r.max() - r.min();
                for (int k = 0; k < optional; k++) {
                    // [split] body [join]: split -> body | exit; join -> exit, and back to body when unbounded.
                    int split = add(null);
                    int bodyStart = next();
                    emit(r.body());
                    int join = add(null);
                    edge(split, bodyStart);
                    edge(split, next());
                    edge(join, next());
                    if (r.max() == -1) {
                        edge(join, bodyStart);
                    }
                }
            }
        }
    }
}
