package peerchat.transport.udp.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageKeeper;

/** Message keepers for tests: one that keeps everything at once, one the test completes by hand. */
final class Keepers {

    /** Keeps every message at once (the stage is complete when keep() returns) and knows everybody. */
    static final MessageKeeper ALL = message -> CompletableFuture.completedFuture(null);

    private Keepers() {
    }

    /** Binds {@link #ALL} to the engine and returns it. */
    static UdpTransportEngine keepingAll(UdpTransportEngine engine) {
        engine.keeper(ALL);
        return engine;
    }

    /**
     * Records every offer with its stage; the test completes them ({@link #keepAll}, {@link #fail}).
     * {@code knows} decides who is a stranger (everybody is known by default).
     */
    static class Manual implements MessageKeeper {
        record Offer(IncomingMessage message, CompletableFuture<Void> stage) {
        }

        final List<Offer> offers = new CopyOnWriteArrayList<>();
        /** Messages whose stage this keeper completed normally, in the order it completed them. */
        final List<IncomingMessage> kept = new CopyOnWriteArrayList<>();
        volatile Predicate<PeerAddress> knows = peer -> true;
        /** When set, offers are kept at once (after being recorded). */
        volatile boolean keepAtOnce;

        @Override
        public CompletionStage<?> keep(IncomingMessage message) {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            offers.add(new Offer(message, stage));
            if (keepAtOnce) {
                kept.add(message);
                stage.complete(null);
            }
            return stage;
        }

        @Override
        public boolean knows(PeerAddress source) {
            return knows.test(source);
        }

        /** Completes every open offer normally, in offer order. */
        void keepAll() {
            for (Offer offer : offers) {
                keep(offer);
            }
        }

        void keep(Offer offer) {
            if (!offer.stage().isDone()) {
                kept.add(offer.message());
                offer.stage().complete(null);
            }
        }

        void fail(Offer offer) {
            offer.stage().completeExceptionally(new IllegalStateException("disk full (test)"));
        }

        List<String> keptTexts() {
            return kept.stream().map(IncomingMessage::text).toList();
        }
    }
}
