// Command ferretdb runs FerretDB v1 with its SQLite backend as a local,
// MongoDB-wire-compatible server (no Docker, no MongoDB binaries needed).
//
// We embed github.com/FerretDB/FerretDB/ferretdb instead of `go install`-ing
// upstream's cmd/ferretdb, because the module zip lacks build/version/version.txt
// and that binary panics at start-up.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"), "TCP address to listen on (env FERRETDB_LISTEN_ADDR)")
	dataDir := flag.String("data-dir", envOr("FERRETDB_DATA_DIR", "data"), "SQLite data directory, created if missing (env FERRETDB_DATA_DIR)")
	// Default is error, not warn: FerretDB logs every ok:0 reply (e.g. the driver's
	// unsupported endSessions on close) and every client reset at warn, with full dumps.
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "error"), "debug, info, warn or error (env FERRETDB_LOG_LEVEL)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fatalf("invalid log level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// The SQLite backend wants a "file:" URI naming an existing directory, ending with "/".
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		fatalf("invalid data dir %q: %v", *dataDir, err)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		fatalf("cannot create data dir: %v", err)
	}
	sqliteURL := (&url.URL{Scheme: "file", Path: dir + "/", OmitHost: true}).String()

	// Registered before New, so a signal during start-up still ends in a clean exit 0.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// New binds the socket, so a busy port fails here rather than inside Run.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		fatalf("cannot start on %s (sqlite: %s): %v", *listenAddr, dir, err)
	}

	// The socket is already listening, so clients connecting now just wait in
	// the accept backlog until Run starts; report the real address (port 0 works too).
	addr := *listenAddr
	if u, err := url.Parse(f.MongoDBURI()); err == nil {
		addr = u.Host
	}
	fmt.Printf("ferretdb listening on %s (sqlite: %s)\n", addr, dir)

	// Run returns once ctx is cancelled and all connections and the backend are closed.
	if err := f.Run(ctx); err != nil {
		fatalf("%v", err)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(1)
}
