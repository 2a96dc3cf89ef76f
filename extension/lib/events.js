// The one WebSocket to /api/v1/events. Browsers cannot set headers on a WebSocket, so the token
// travels as the "bearer.<token>" subprotocol next to "callcenter.v1" (docs/design.md §2).

export const SUBPROTOCOL = "callcenter.v1";

export class EventStream {
  /**
   * @param {string} url
   * @param {string} token
   * @param {{onMessage: (msg: {seq: number, type: string, data: any}) => void,
   *          onOpen: () => void, onClose: (info: {code: number, opened: boolean}) => void}} handlers
   */
  constructor(url, token, handlers) {
    this.handlers = handlers;
    this.opened = false;
    this.closedByUs = false;
    this.lastSeq = 0;
    this.socket = new WebSocket(url, [SUBPROTOCOL, `bearer.${token}`]);
    this.socket.addEventListener("open", () => {
      this.opened = true;
      handlers.onOpen();
    });
    this.socket.addEventListener("message", (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!msg || typeof msg.type !== "string") return;
      if (typeof msg.seq === "number") this.lastSeq = msg.seq;
      handlers.onMessage(msg);
    });
    this.socket.addEventListener("close", (event) => {
      if (!this.closedByUs) handlers.onClose({ code: event.code, opened: this.opened });
    });
  }

  close() {
    this.closedByUs = true;
    try {
      this.socket.close(1000, "bye");
    } catch {
      /* already closed */
    }
  }
}
