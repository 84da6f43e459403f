// Command ferretdb runs FerretDB v1 as a local, MongoDB-wire-compatible server
// (no Docker, no MongoDB binaries needed), on its SQLite backend (a data dir of
// .sqlite files) or its PostgreSQL backend (a database of a running server).
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
	handler := flag.String("handler", envOr("FERRETDB_HANDLER", "sqlite"), "backend: sqlite or postgresql (env FERRETDB_HANDLER)")
	listenAddr := flag.String("listen-addr", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"), "TCP address to listen on (env FERRETDB_LISTEN_ADDR)")
	dataDir := flag.String("data-dir", envOr("FERRETDB_DATA_DIR", "data"), "sqlite: data directory, created if missing (env FERRETDB_DATA_DIR)")
	postgresqlURL := flag.String("postgresql-url", envOr("FERRETDB_POSTGRESQL_URL", ""), "postgresql: connection URL, e.g. postgres://ferretdb@127.0.0.1:5433/ferretdb (env FERRETDB_POSTGRESQL_URL)")
	// Default is error, not warn: FerretDB logs every ok:0 reply (e.g. the driver's
	// unsupported endSessions on close) and every client reset at warn, with full dumps.
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "error"), "debug, info, warn or error (env FERRETDB_LOG_LEVEL)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fatalf("invalid log level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:   logger,
		Handler:  *handler,
	}
	// What the ready line and errors name as the place the data lives.
	var store string
	switch *handler {
	case "sqlite":
		// The SQLite backend wants a "file:" URI naming an existing directory, ending with "/".
		dir, err := filepath.Abs(*dataDir)
		if err != nil {
			fatalf("invalid data dir %q: %v", *dataDir, err)
		}
		if err = os.MkdirAll(dir, 0o755); err != nil {
			fatalf("cannot create data dir: %v", err)
		}
		config.SQLiteURL = (&url.URL{Scheme: "file", Path: dir + "/", OmitHost: true}).String()
		store = "sqlite: " + dir
	case "postgresql":
		if *postgresqlURL == "" {
			fatalf("the postgresql handler needs --postgresql-url (or FERRETDB_POSTGRESQL_URL)")
		}
		u, err := url.Parse(*postgresqlURL)
		if err != nil {
			fatalf("invalid PostgreSQL URL: %v", err)
		}
		config.PostgreSQLURL = *postgresqlURL
		// Redacted: the URL may carry a password.
		store = "postgresql: " + u.Redacted()
	default:
		fatalf("unknown handler %q: use sqlite or postgresql", *handler)
	}

	// Registered before New, so a signal during start-up still ends in a clean exit 0.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// New binds the socket, so a busy port fails here rather than inside Run.
	f, err := ferretdb.New(config)
	if err != nil {
		fatalf("cannot start on %s (%s): %v", *listenAddr, store, err)
	}

	// The socket is already listening, so clients connecting now just wait in
	// the accept backlog until Run starts; report the real address (port 0 works too).
	addr := *listenAddr
	if u, err := url.Parse(f.MongoDBURI()); err == nil {
		addr = u.Host
	}
	fmt.Printf("ferretdb listening on %s (%s)\n", addr, store)

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
