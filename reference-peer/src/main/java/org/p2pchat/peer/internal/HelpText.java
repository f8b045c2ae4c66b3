package org.p2pchat.peer.internal;

import java.util.List;

/** The {@code help} text: the 2018 command list, word for word, then what this peer adds. */
public final class HelpText {
  public static final List<String> LINES = List.of(
      "command list:",
      "    register                            注册",
      "    listpeer                            查看P2P网络内所有Peer",
      "    exit network                        退出P2P网络",
      "    chat request [host] [port]          发出聊天请求",
      "    chat message [peername] [message]   发送聊天消息",
      "    list connected peer                 查看已连接Peer",
      "    help                                查看帮助",
      "    disconnect                          断开与Peer的连接",
      "    exit                                退出程序",
      "",
      "also:",
      "    chat request [peername]             request a chat with a peer from the last listpeer",
      "    yes / no                            answer the oldest chat request (the answer names it)",
      "    yes [peername] / no [peername]      answer the chat request from that peer",
      "    pending                             list the chat requests waiting for an answer",
      "    disconnect [peername]               end the chat with that peer");

  private HelpText() {}
}
