// The one translation unit that holds the compiled bodies of Asio, Asio SSL
// and Beast (BOOST_*_SEPARATE_COMPILATION is set for every user).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
