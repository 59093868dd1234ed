// The README as the package carries it. VS Code's extension details page shows images only from
// https: or data: URIs, and it drops links it cannot follow (relative paths, command: URIs), so the
// README's relative image and links, right on a repository page, would be a broken image and dead
// text there, offline or not. The packaged copy embeds each image as a data: URI and keeps the text
// of each relative link (the files stay in the repository); anchors and URLs stay as they are.
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };
const MARKDOWN_LINK = /(!?)\[([^\]]*)\]\(([^)\s]+)\)/g;

const isRelative = (target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');

/** `root`: the folder the README's relative paths start from. Throws on a missing or SVG image. */
export function packageReadme(readme, root) {
  return readme.replace(MARKDOWN_LINK, (all, bang, text, target) => {
    if (!isRelative(target)) return all;
    if (!bang) return text;
    const path = target.split('#')[0];
    const type = IMAGE_TYPES[extname(path).toLowerCase()];
    if (!type) throw new Error(`README image ${path}: only PNG, JPEG and GIF can be embedded (VS Code refuses SVG data URIs)`);
    return `![${text}](data:${type};base64,${readFileSync(join(root, path)).toString('base64')})`;
  });
}
