package peerchat.store.sqlite.internal;

/** Where the store's engine logs: the component hands it the OSGi Log Service, tests collect. */
interface StoreLog {

    void info(String message);

    void warn(String message, Throwable cause);

    void error(String message, Throwable cause);

    /** Logs nothing. */
    StoreLog NONE = new StoreLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message, Throwable cause) {
        }

        @Override
        public void error(String message, Throwable cause) {
        }
    };
}
