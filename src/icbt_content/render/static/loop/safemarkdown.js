/* A therapist's message (Markdown) as DOM nodes, never as HTML.
 *
 * Everything is text (textContent): no tag the author writes is ever parsed. Understood: blank-line
 * paragraphs, "- " / "* " and "1. " lists, **bold**, *emphasis* or _emphasis_, `code`, and links
 * [text](address) whose address is https:, mailto: or tel: (anything else stays plain text).
 */

const SAFE_LINK = /^(?:https:\/\/[^\s]+|mailto:[^\s]+|tel:[+\d][\d\s-]*)$/i;
const INLINE = /\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Whether an address may be a link in a message. */
export function safeLink(address) {
  return SAFE_LINK.test(String(address));
}

function inline(parent, text) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
    const [whole, bold, em1, em2, code, linkText, address] = match;
    let node;
    if (bold !== undefined) {
      node = document.createElement("strong");
      node.textContent = bold;
    } else if (em1 !== undefined || em2 !== undefined) {
      node = document.createElement("em");
      node.textContent = em1 !== undefined ? em1 : em2;
    } else if (code !== undefined) {
      node = document.createElement("code");
      node.textContent = code;
    } else if (safeLink(address)) {
      node = document.createElement("a");
      node.href = address;
      node.rel = "noopener noreferrer";
      node.textContent = linkText;
    } else {
      node = document.createTextNode(whole);
    }
    parent.appendChild(node);
    last = match.index + whole.length;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

/** Render Markdown text into a document fragment of safe nodes. */
export function renderMessage(markdown) {
  const fragment = document.createDocumentFragment();
  const blocks = String(markdown || "").replace(/\r\n?/g, "\n").split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split("\n").filter((line) => line.trim() !== "");
    if (!lines.length) continue;
    const bullets = lines.every((line) => /^\s*[-*]\s+/.test(line));
    const numbers = lines.every((line) => /^\s*\d+[.)]\s+/.test(line));
    if (bullets || numbers) {
      const list = document.createElement(bullets ? "ul" : "ol");
      for (const line of lines) {
        const item = document.createElement("li");
        inline(item, line.replace(/^\s*(?:[-*]|\d+[.)])\s+/, ""));
        list.appendChild(item);
      }
      fragment.appendChild(list);
    } else {
      const paragraph = document.createElement("p");
      lines.forEach((line, index) => {
        if (index) paragraph.appendChild(document.createElement("br"));
        inline(paragraph, line.replace(/^#{1,6}\s+/, ""));
      });
      fragment.appendChild(paragraph);
    }
  }
  return fragment;
}
