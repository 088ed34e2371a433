package io.cuckoocache.binproto;

/**
 * The commands memcached 1.6.18 serves over the binary protocol, each with its opcode, its quiet opcode (or -1), and
 * the header shape memcached's dispatch accepts (anything else is "Invalid arguments" and a closed connection).
 */
enum Command {
    GET(0x00, 0x09),
    SET(0x01, 0x11),
    ADD(0x02, 0x12),
    REPLACE(0x03, 0x13),
    DELETE(0x04, 0x14),
    INCREMENT(0x05, 0x15),
    DECREMENT(0x06, 0x16),
    QUIT(0x07, 0x17),
    FLUSH(0x08, 0x18),
    NOOP(0x0a, -1),
    VERSION(0x0b, -1),
    GETK(0x0c, 0x0d),
    APPEND(0x0e, 0x19),
    PREPEND(0x0f, 0x1a),
    STAT(0x10, -1),
    TOUCH(0x1c, -1),
    GAT(0x1d, 0x1e),
    GATK(0x23, 0x24),
    SASL_LIST_MECHS(0x20, -1),
    SASL_AUTH(0x21, -1),
    SASL_STEP(0x22, -1);

    private static final Command[] BY_OPCODE = new Command[256];
    private static final boolean[] QUIET = new boolean[256];

    static {
        for (Command c : values()) {
            BY_OPCODE[c.opcode] = c;
            if (c.quietOpcode >= 0) {
                BY_OPCODE[c.quietOpcode] = c;
                QUIET[c.quietOpcode] = true;
            }
        }
    }

    final int opcode;
    final int quietOpcode;

    Command(int opcode, int quietOpcode) {
        this.opcode = opcode;
        this.quietOpcode = quietOpcode;
    }

    /** The command of an opcode, quiet or not; {@code null} if memcached 1.6.18 does not serve it. */
    static Command of(int opcode) {
        return BY_OPCODE[opcode];
    }

    /** Whether the opcode is a quiet variant (no answer on success; getq/getkq/gatq/gatkq: none on a miss either). */
    static boolean quiet(int opcode) {
        return QUIET[opcode];
    }

    /** Whether the body after the extras and the key is a value the command needs (otherwise it is skipped). */
    boolean takesValue() {
        return this == SET || this == ADD || this == REPLACE || this == APPEND || this == PREPEND
                || this == SASL_AUTH || this == SASL_STEP;
    }

    /** memcached 1.6.18's shape check for this command (the caller has checked extlen + keylen <= bodylen). */
    boolean accepts(int extlen, int keylen, long bodylen) {
        switch (this) {
            case VERSION:
            case NOOP:
            case QUIT:
            case SASL_LIST_MECHS:
                return extlen == 0 && keylen == 0 && bodylen == 0;
            case FLUSH:
                return keylen == 0 && bodylen == extlen && (extlen == 0 || extlen == 4);
            case SET:
            case ADD:
            case REPLACE:
                return extlen == 8 && keylen != 0;
            case GET:
            case GETK:
            case DELETE:
                return extlen == 0 && keylen != 0 && bodylen == keylen;
            case INCREMENT:
            case DECREMENT:
                return extlen == 20 && keylen != 0 && bodylen == keylen + 20;
            case APPEND:
            case PREPEND:
            case SASL_AUTH:
            case SASL_STEP:
                return extlen == 0 && keylen != 0;
            case STAT:
                return extlen == 0;
            case TOUCH:
            case GAT:
            case GATK:
                return extlen == 4 && keylen != 0;
            default:
                throw new AssertionError(this);
        }
    }
}
