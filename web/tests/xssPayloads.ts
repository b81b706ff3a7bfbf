// Known XSS payloads, written into a proposal description. Each one, if it ran, would set window.__xss.
export const xssPayloads = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img-onerror\'">',
  '![image](x" onerror="window.__xss=\'md-image\')',
  "[markdown link](javascript:window.__xss='md-link')",
  "[mixed case](JaVaScRiPt:window.__xss='md-case')",
  '<a href="javascript:window.__xss=\'a-href\'">html link</a>',
  '<a href="&#106;avascript:window.__xss=\'entity\'">entity link</a>',
  '<svg onload="window.__xss=\'svg\'"><circle r="1"/></svg>',
  '<iframe src="javascript:window.__xss=\'iframe\'"></iframe>',
  '<details open ontoggle="window.__xss=\'details\'"><summary>x</summary></details>',
  '<input autofocus onfocus="window.__xss=\'input\'">',
  '<form action="javascript:window.__xss=\'form\'"><button>go</button></form>',
  '<object data="javascript:window.__xss=\'object\'"></object>',
  '<math><mi xlink:href="javascript:window.__xss=\'math\'">x</mi></math>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=\'meta\'">',
  '<style>body { display: none }</style>',
  '<div style="background:url(javascript:window.__xss=\'style\')">styled</div>',
  '`<script>window.__xss="in code"</script>` stays text',
];

/**
 * Links that must lose their href: only absolute http(s) and mailto URLs may stay. Relative and
 * protocol-relative ones would lead into this app (a pre-filled proposal form, say) or off to a host.
 */
export const relativeLinkPayloads = [
  '[relative](/proposals/new?kind=raw)',
  '[relative path](proposals/1)',
  '[parent](../account)',
  '[fragment](#main)',
  '[query](?kind=raw)',
  '[protocol-relative](//evil.example/x)',
  '[backslash](/\\evil.example/x)',
  '[three slashes](https:///evil.example/x)',
  '<a href="/account">html relative</a>',
  '<a href="//evil.example">html protocol-relative</a>',
  '![relative image](/static/x.png)',
  '[data](data:text/html;base64,PHNjcmlwdD4=)',
  '[ftp](ftp://files.example/x)',
];

export const xssDescription = `# Hostile markdown (rendering test)

This proposal's description holds known XSS payloads; none may run.

${xssPayloads.map((p) => `- ${p}`).join('\n')}

${xssPayloads.join('\n\n')}

A [safe link](https://charter.example/safe) stays a link. Links that must lose their target:

${relativeLinkPayloads.map((p) => `- ${p}`).join('\n')}
`;
