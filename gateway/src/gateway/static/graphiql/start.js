// GraphiQL for the development gateway, from files the gateway serves itself (no CDN), so it
// loads on a network without one and under a Content-Security-Policy of 'self' alone.
(function () {
  "use strict";
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      // A bearer token typed into the headers editor stays in this tab, not in storage.
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    })
  );
})();
