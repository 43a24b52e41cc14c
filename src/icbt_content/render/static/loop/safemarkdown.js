/* A therapist's message (Markdown) as DOM nodes, never as HTML.
 *
 * Everything is text (textContent): no tag the author writes is ever parsed. Understood: blank-line
 * paragraphs, "- " / "* " and "1. " lists, **bold**, *emphasis* or _emphasis_, `code`, and links
 * [text](address) whose address is https:, mailto: or tel:, or a page of the programme written
 * relative to the programme's home in this language (what a guidance template's section_link()
 * gives), made relative to the page showing the message with `root`; anything else stays plain
 * text. A backslash before punctuation shows the punctuation itself, as in CommonMark.
 */

const SAFE_LINK = /^(?:https:\/\/[^\s]+|mailto:[^\s]+|tel:[+\d][\d\s-]*)$/i;
const RELATIVE = /^(?!.*\.\.)[a-z0-9][a-z0-9._~\/-]*(?:#[A-Za-z0-9_-]+)?$/i;
const ESCAPE = /\\([!-\/:-@[-`{-~])/g;
const INLINE =
  /\\([!-\/:-@[-`{-~])|\*\*((?:\\.|[^*])+)\*\*|\*((?:\\.|[^*])+)\*|_([^_]+)_|`([^`]+)`|\[((?:\\.|[^\]])+)\]\(([^)\s]+)\)/g;

function unescape(text) {
  return text.replace(ESCAPE, "$1");
}

/** The address a link points to: a safe absolute one as it is; a page of the programme, written
 * relative to its home, prefixed with `root` (the way from the page showing the message to the
 * programme's home, such as "../"); null when it may not be a link. */
export function linkTarget(address, root) {
  const text = String(address);
  if (SAFE_LINK.test(text)) return text;
  return root !== null && RELATIVE.test(text) ? root + text : null;
}

function inline(parent, text, root) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
    const [whole, escaped, bold, em1, em2, code, linkText, address] = match;
    const target = address !== undefined ? linkTarget(address, root) : null;
    let node;
    if (escaped !== undefined) {
      node = document.createTextNode(escaped);
    } else if (bold !== undefined) {
      node = document.createElement("strong");
      node.textContent = unescape(bold);
    } else if (em1 !== undefined || em2 !== undefined) {
      node = document.createElement("em");
      node.textContent = em1 !== undefined ? unescape(em1) : em2;
    } else if (code !== undefined) {
      node = document.createElement("code");
      node.textContent = code;
    } else if (target !== null) {
      node = document.createElement("a");
      node.setAttribute("href", target);
      node.rel = "noopener noreferrer";
      node.textContent = unescape(linkText);
    } else {
      node = document.createTextNode(whole);
    }
    parent.appendChild(node);
    last = match.index + whole.length;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

/** Render Markdown text into a document fragment of safe nodes; `root` is the way from the page
 * showing it to the programme's home in the reader's language ("../" on the Messages page), or
 * null to leave relative links as text. */
export function renderMessage(markdown, root = null) {
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
        inline(item, line.replace(/^\s*(?:[-*]|\d+[.)])\s+/, ""), root);
        list.appendChild(item);
      }
      fragment.appendChild(list);
    } else {
      const paragraph = document.createElement("p");
      lines.forEach((line, index) => {
        if (index) paragraph.appendChild(document.createElement("br"));
        inline(paragraph, line.replace(/^#{1,6}\s+/, ""), root);
      });
      fragment.appendChild(paragraph);
    }
  }
  return fragment;
}
