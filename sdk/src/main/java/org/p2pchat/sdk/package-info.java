/**
 * The p2pchat SDK: {@link org.p2pchat.sdk.Node} (listen, dispatch, send), the handler table
 * {@link org.p2pchat.sdk.Dispatcher}, {@link org.p2pchat.sdk.Sender}, and the errors and options an
 * embedder needs. Wiring details live in {@code org.p2pchat.sdk.internal}.
 *
 * <p>Threading model. One I/O thread per node ({@code p2pchat-io-PORT}) accepts and reads every
 * connection without blocking, so a stalled or slow sender costs a buffer, never a thread, and never
 * delays anyone else; each connection has a size cap and a read deadline. The I/O thread never parses:
 * frames go to one queue per source (remote address), and a bounded pool of workers
 * ({@code workerThreads}) takes them round-robin, one frame per source per turn, to decode, validate and
 * run the handler. With {@code workQueue} frames waiting in all the listener stops accepting, so a
 * connection once accepted is always handled and the kernel's backlog is the backpressure; a source
 * past its share ({@code maxQueuedPerSource}) while others wait, or past its rate
 * ({@code messagesPerSecondPerSource}), has new connections closed unread, so one flood delays only
 * itself. A slow handler holds a worker, never the reading. Order: messages of one remote address are
 * handled one at a time, in the order their connections were accepted (a sender that waits for each send
 * to finish is handled in its sending order); handlers for different addresses may run on several
 * workers at once and must be thread-safe. Outgoing messages are sent on the caller's thread
 * ({@code send}) or on the sender's own bounded pool ({@code sendAsync}).
 */
package org.p2pchat.sdk;
