package peerchat.roster.protocol; public final class Frame { }
