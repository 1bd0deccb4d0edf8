// Shared by the report and the what-if page, inlined before each page's own script (see
// page_script in results/report.cpp): builds DOM nodes without writing HTML strings, so text from
// a scenario (names, descriptions) can never be read as markup.
// el('p', {class: 'note', title: '...'}, 'text', childNode, ...): 'class' sets the class name and
// 'text' the text content; every other key is an attribute. Null and undefined children are
// skipped; anything that is not a node is added as text.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class')
      node.className = value;
    else if (key === 'text')
      node.textContent = value;
    else
      node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
