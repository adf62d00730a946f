package dev.ffkx.redis;

/** Redis' glob patterns as CONFIG GET uses them: '*', '?' and literal characters. */
final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String s) {
        return matches(pattern, 0, s, 0);
    }

    private static boolean matches(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (matches(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }
}
