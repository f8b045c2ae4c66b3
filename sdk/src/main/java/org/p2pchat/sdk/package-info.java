/**
 * The p2pchat SDK: {@link org.p2pchat.sdk.Node} (listen, dispatch, send), the handler table
 * {@link org.p2pchat.sdk.Dispatcher}, {@link org.p2pchat.sdk.Sender}, and the errors and options an
 * embedder needs. Wiring details live in {@code org.p2pchat.sdk.internal}.
 *
 * <p>Threading model. One I/O thread per node ({@code p2pchat-io-PORT}) accepts and reads every
 * connection without blocking, so a stalled or slow sender costs a buffer, never a thread, and never
 * delays anyone else; each connection has a size cap and a read deadline. The I/O thread never parses:
 * the frames of one pass over the ready connections go as one task to a bounded pool of workers
 * ({@code workerThreads}, {@code workQueue}; with the queue full the listener stops accepting, so a
 * connection once accepted is always handled and the kernel's backlog is the backpressure), which
 * decode, validate and run the handler. A slow handler therefore holds a worker, never the reading;
 * with one worker, handlers run in the order the frames were read. Handlers may run on several workers
 * at once and must be thread-safe. Outgoing messages are sent on the caller's thread
 * ({@code send}) or on the sender's own bounded pool ({@code sendAsync}).
 */
package org.p2pchat.sdk;
