package peerchat.roster.protocol;

import java.io.IOException;
import java.util.Objects;

/** Bytes that break the protocol; the code is what the receiver reports in its ERROR frame. */
public class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
